import { Route, Routes } from 'react-router';
import { Layout } from './Layout';
import { NotFoundPage } from './NotFoundPage';
import { RequireAuth } from './shared/RequireAuth';
import { HomePage } from './discovery/HomePage';
import { LoginPage } from './accounts/LoginPage';
import { RegisterPage } from './accounts/RegisterPage';
import { AccountPage } from './accounts/AccountPage';
import { lazyPage } from './shared/lazyPage';
import { WatchPage } from './live/WatchPage';

// The consoles are downloaded when opened: the home page and the live room (docs/ROOM.md) stay light.
const StreamerConsole = lazyPage(() => import('./streamers/StreamerConsole').then((m) => m.StreamerConsole));
const OrgConsole = lazyPage(() => import('./orgs/OrgConsole').then((m) => m.OrgConsole));
const OperatorConsole = lazyPage(() => import('./admin/OperatorConsole').then((m) => m.OperatorConsole));
const SessionPage = lazyPage(() => import('./streamers/SessionPage').then((m) => m.SessionPage));
const GoLivePage = lazyPage(() => import('./streamers/GoLivePage').then((m) => m.GoLivePage));
const ConsolePage = lazyPage(() => import('./room/ConsolePage').then((m) => m.ConsolePage));
const AssistingPage = lazyPage(() => import('./cockpit/AssistingPage').then((m) => m.AssistingPage));
const OrdersPage = lazyPage(() => import('./shop/OrdersPage').then((m) => m.OrdersPage));
const OrderPage = lazyPage(() => import('./shop/OrderPage').then((m) => m.OrderPage));
const AddressesPage = lazyPage(() => import('./shop/AddressesPage').then((m) => m.AddressesPage));
const CouponsPage = lazyPage(() => import('./shop/CouponsPage').then((m) => m.CouponsPage));
const SearchPage = lazyPage(() => import('./discovery/SearchPage').then((m) => m.SearchPage));
const StreamerPage = lazyPage(() => import('./discovery/StreamerPage').then((m) => m.StreamerPage));
const BrandPage = lazyPage(() => import('./discovery/BrandPage').then((m) => m.BrandPage));
const FollowingPage = lazyPage(() => import('./discovery/FollowingPage').then((m) => m.FollowingPage));

export function App() {
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route index element={<HomePage />} />
        <Route path="login" element={<LoginPage />} />
        <Route path="register" element={<RegisterPage />} />
        <Route path="account" element={<RequireAuth><AccountPage /></RequireAuth>} />
        <Route path="orders" element={<RequireAuth><OrdersPage /></RequireAuth>} />
        <Route path="orders/:id" element={<RequireAuth><OrderPage /></RequireAuth>} />
        <Route path="me/addresses" element={<RequireAuth><AddressesPage /></RequireAuth>} />
        <Route path="me/coupons" element={<RequireAuth><CouponsPage /></RequireAuth>} />
        <Route path="watch/:id" element={<WatchPage />} />
        <Route path="search" element={<SearchPage />} />
        <Route path="streamers/:id" element={<StreamerPage />} />
        <Route path="brands/:id" element={<BrandPage />} />
        <Route path="following" element={<RequireAuth><FollowingPage /></RequireAuth>} />
        <Route path="streamer" element={<RequireAuth><StreamerConsole /></RequireAuth>} />
        <Route path="streamer/sessions/:id" element={<RequireAuth><SessionPage /></RequireAuth>} />
        <Route path="streamer/sessions/:id/go-live" element={<RequireAuth><GoLivePage /></RequireAuth>} />
        <Route path="streamer/sessions/:id/console" element={<RequireAuth><ConsolePage /></RequireAuth>} />
        <Route path="assist" element={<RequireAuth><AssistingPage /></RequireAuth>} />
        <Route path="orgs/:orgId" element={<RequireAuth><OrgConsole /></RequireAuth>} />
        <Route path="admin" element={<RequireAuth><OperatorConsole /></RequireAuth>} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
