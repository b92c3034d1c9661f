export default definePageConfig({
  navigationBarTitleText: '提交服务请求',
});
