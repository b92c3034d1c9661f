export default definePageConfig({
  navigationBarTitleText: '营销活动',
  // Shares carry the viewer's own token (useShareAppMessage / useShareTimeline in index.tsx).
  enableShareAppMessage: true,
  enableShareTimeline: true,
});
