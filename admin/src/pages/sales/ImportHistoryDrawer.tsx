import { useState } from 'react';
import { Button, Drawer } from 'antd';
import type { ImportSummary } from '@qiao/shared';
import { listImports } from '../../api/imports';
import { PagedTable } from '../../components/RemoteTable';
import { formatDateTime } from '../../lib/format';
import { useRemote } from '../../lib/useRemote';
import { ImportStatusTag } from './ImportModal';

export interface ImportHistoryDrawerProps {
  open: boolean;
  onClose: () => void;
  /** Opens one import's progress or result. */
  onOpenImport: (id: string) => void;
}

/** 导入记录: the imports the person may see, newest first. */
export function ImportHistoryDrawer({ open, onClose, onOpenImport }: ImportHistoryDrawerProps) {
  const [{ page, pageSize, cursor }, setPaging] = useState<{ page: number; pageSize: number; cursor?: string }>({ page: 1, pageSize: 10 });
  const list = useRemote((signal) => (open ? listImports({ page, pageSize, cursor }, signal) : Promise.resolve(undefined)), [open, page, pageSize, cursor]);
  return (
    <Drawer open={open} title="导入记录" width={820} onClose={onClose} destroyOnHidden>
      <PagedTable<ImportSummary>
        id="import-history"
        list={list}
        current={page}
        pageSize={pageSize}
        onPage={(next, size) => {
          // The next page starts after this one's last row (key paging); any other jump is by number.
          const nextCursor = next === page + 1 && size === pageSize ? (list.data?.nextCursor ?? undefined) : undefined;
          setPaging({ page: next, pageSize: size, cursor: nextCursor });
        }}
        emptyText="还没有导入记录"
        columns={[
          { title: '文件', dataIndex: 'fileName', ellipsis: true },
          { title: '状态', dataIndex: 'status', width: 90, render: (_, row) => <ImportStatusTag status={row.status} /> },
          { title: '新建客户', width: 80, align: 'right', render: (_, row) => row.counts.customers },
          { title: '追加', width: 60, align: 'right', render: (_, row) => row.counts.attachedCustomers },
          { title: '未导入行', width: 90, align: 'right', render: (_, row) => row.counts.rejectedRows },
          { title: '导入人', dataIndex: 'createdByName', width: 100 },
          { title: '时间', dataIndex: 'createdAt', width: 160, render: (value: string) => formatDateTime(value) },
          {
            title: '操作',
            width: 80,
            render: (_, row) => (
              <Button type="link" size="small" className="import-open" onClick={() => onOpenImport(row.id)}>
                查看
              </Button>
            ),
          },
        ]}
      />
    </Drawer>
  );
}
