import type { ReactNode } from 'react';
import { Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { orDash } from '../../lib/format';

interface CustomerRow {
  name: string;
  code: string;
  region: string;
  industry: string;
  grade: string;
}

/** The first columns of a customer list (客户, 公海): the name over its code, region, industry, grade. */
export function customerColumns<T extends CustomerRow>(name: (row: T) => ReactNode): TableColumnsType<T> {
  return [
    {
      title: '客户',
      dataIndex: 'name',
      render: (_, row) => (
        <div>
          {name(row)}
          <div>
            <Typography.Text type="secondary">{row.code}</Typography.Text>
          </div>
        </div>
      ),
    },
    { title: '地区', dataIndex: 'region', width: 100 },
    { title: '行业', dataIndex: 'industry', width: 110, render: (value: string) => orDash(value) },
    { title: '等级', dataIndex: 'grade', width: 70, render: (value: string) => orDash(value) },
  ];
}
