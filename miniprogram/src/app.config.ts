export default defineAppConfig({
  pages: ['pages/index/index'],
  window: {
    backgroundTextStyle: 'dark',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: '桥',
    navigationBarTextStyle: 'black',
    backgroundColor: '#f5f6f8',
  },
});
