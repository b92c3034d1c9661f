import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The Qiao server serves admin/dist under /admin/ (index.html for unknown paths below it).

type ModuleInfoOf = (id: string) => { importers: readonly string[]; dynamicImporters: readonly string[] } | null;

/** Whether `id` is wangEditor or imported by nothing else: it then loads only with the editing pages. */
function editorOnly(id: string, info: ModuleInfoOf, seen = new Set<string>()): boolean {
  if (/node_modules\/@wangeditor\//.test(id)) return true;
  if (seen.has(id)) return true;
  seen.add(id);
  const module = info(id);
  const importers = module ? [...module.importers, ...module.dynamicImporters] : [];
  return importers.length > 0 && importers.every((importer) => editorOnly(importer, info, seen));
}
const apiProxy = { '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false } };

export default defineConfig({
  base: '/admin/',
  plugins: [react()],
  server: { port: 5173, proxy: apiProxy },
  preview: { port: 4173, proxy: apiProxy },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // antd is one large vendor chunk on purpose (cached across releases); see manualChunks.
    chunkSizeWarningLimit: 1400,
    rollupOptions: {
      onwarn(warning, warn) {
        // zod ships comments rollup cannot place; harmless, and not ours to fix.
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('node_modules')) return;
        warn(warning);
      },
      output: {
        manualChunks(id: string, { getModuleInfo }: { getModuleInfo: ModuleInfoOf }): string | undefined {
          if (!id.includes('node_modules')) return undefined;
          if (editorOnly(id, getModuleInfo)) return 'editor';
          if (/node_modules\/(react|react-dom|scheduler|react-router|react-router-dom|@remix-run)\//.test(id)) {
            return 'react';
          }
          if (/node_modules\/(antd|@ant-design|rc-[^/]+|@rc-component|dayjs)\//.test(id)) return 'antd';
          // Charts only load with the pages that draw them.
          if (/node_modules\/(echarts|zrender)\//.test(id)) return 'echarts';
          return 'vendor';
        },
      },
    },
  },
});
