import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import './styles.css';
// Domain rules moved out of styles.css, used by more than one page (some in pages loaded on demand): they come right
// after styles.css and before any component's CSS, in the order they had in styles.css, so the cascade is unchanged.
import './discovery/session-cards.css';
import './live/live.css';
import './streamers/streamers.css';
import './room/room.css';
import './room/room-popups.css';
import './room/console.css';
import './shop/buy-sheet.css';
import './shop/orders.css';
import './i18n';
import { SessionProvider } from './session';
import { App } from './App';

const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');

createRoot(root).render(
  <StrictMode>
    <BrowserRouter>
      <SessionProvider>
        <App />
      </SessionProvider>
    </BrowserRouter>
  </StrictMode>,
);
