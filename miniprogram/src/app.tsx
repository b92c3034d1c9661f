import type { PropsWithChildren, ReactNode } from 'react';
import './app.css';

/** App shell: Taro renders the current page as `children`. */
function App({ children }: PropsWithChildren): ReactNode {
  return children;
}

export default App;
