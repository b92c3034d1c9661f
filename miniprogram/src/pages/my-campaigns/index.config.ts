export default definePageConfig({
  navigationBarTitleText: '我的方案',
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
});
