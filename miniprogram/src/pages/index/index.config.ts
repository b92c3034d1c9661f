export default definePageConfig({
  navigationBarTitleText: '我的服务',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
});
