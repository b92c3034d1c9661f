import type { ReactNode } from 'react';
import { Flex, Typography } from 'antd';

export interface PageHeadingProps {
  /** The area shown in grey before the title (服务 / …). */
  area?: string;
  title: ReactNode;
  /** Buttons on the right. */
  extra?: ReactNode;
}

/** The title line of a console page. */
export function PageHeading({ area, title, extra }: PageHeadingProps) {
  return (
    <Flex justify="space-between" align="center" gap={16} wrap style={{ marginBottom: 16 }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        {area ? (
          <Typography.Text type="secondary" style={{ fontSize: 'inherit', fontWeight: 'normal' }}>
            {area} /{' '}
          </Typography.Text>
        ) : null}
        {title}
      </Typography.Title>
      {extra ? <Flex gap={8}>{extra}</Flex> : null}
    </Flex>
  );
}
