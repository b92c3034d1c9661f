export default defineAppConfig({
  pages: [
    'pages/index/index',
    'pages/me/index',
    'pages/verify/index',
    'pages/devices/index',
    'pages/feedback/new',
    'pages/feedback/detail',
    'pages/engineer/orders',
    'pages/engineer/order',
    'pages/campaign/index',
    'pages/my-campaigns/index',
  ],
  window: {
    backgroundTextStyle: 'dark',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: '桥',
    navigationBarTextStyle: 'black',
    backgroundColor: '#f5f6f8',
  },
  // Engineers' visits record where they checked in.
  permission: {
    'scope.userLocation': { desc: '用于记录上门服务的签到地点' },
  },
  requiredPrivateInfos: ['getLocation'],
});
