import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
// The shared stylesheet, in cascade order (web/src/styles/base.css says what each holds).
import './styles/base.css';
import './styles/components.css';
import './styles/consoles.css';
// Domain rules used by more than one page (some in pages loaded on demand): right after the shared stylesheet and before
// any component's CSS, in the order they had in it, so the cascade is as it was.
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
