import { Button, Result } from 'antd';
import { useNavigate } from 'react-router-dom';
import { useDocumentTitle } from '../lib/useDocumentTitle';

/** Any path the console does not know. */
export default function NotFoundPage() {
  useDocumentTitle('页面不存在');
  const navigate = useNavigate();
  return (
    <div id="not-found" style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center' }}>
      <Result
        status="404"
        title="页面不存在"
        subTitle="抱歉，您访问的页面不存在或已被移除。"
        extra={
          <Button type="primary" onClick={() => navigate('/', { replace: true })}>
            返回工作台
          </Button>
        }
      />
    </div>
  );
}
