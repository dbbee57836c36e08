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
const AnalyticsPage = lazyPage(() => import('./analytics/SessionsPage').then((m) => m.AnalyticsPage));
const AnalyticsScreen = lazyPage(() => import('./analytics/ScreenPage').then((m) => m.ScreenPage));
const AnalyticsReview = lazyPage(() => import('./analytics/ReviewPage').then((m) => m.ReviewPage));
const TrainingHome = lazyPage(() => import('./training/TrainingHome').then((m) => m.TrainingHome));
const TrainingEnrollment = lazyPage(() => import('./training/EnrollmentPage').then((m) => m.EnrollmentPage));
const TrainingLesson = lazyPage(() => import('./training/LessonPage').then((m) => m.LessonPage));
const TrainingExam = lazyPage(() => import('./training/ExamPage').then((m) => m.ExamPage));
const TrainingPractice = lazyPage(() => import('./training/PracticePage').then((m) => m.PracticePage));
const TrainingCentre = lazyPage(() => import('./training/CentreConsole').then((m) => m.CentreConsole));
const CertificatePage = lazyPage(() => import('./training/CertificatePage').then((m) => m.CertificatePage));
const CommissionPortal = lazyPage(() => import('./commission/CommissionPortal').then((m) => m.CommissionPortal));

export function App() {
  return (
    <Routes>
      {/* The big screen fills the display: no site header or footer (docs/ANALYTICS.md). */}
      <Route path="analytics/sessions/:id/screen" element={<RequireAuth><AnalyticsScreen /></RequireAuth>} />
      <Route path="orgs/:orgId/analytics/sessions/:id/screen" element={<RequireAuth><AnalyticsScreen /></RequireAuth>} />
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
        <Route path="analytics" element={<RequireAuth><AnalyticsPage /></RequireAuth>} />
        <Route path="analytics/sessions/:id/review" element={<RequireAuth><AnalyticsReview /></RequireAuth>} />
        <Route path="orgs/:orgId/analytics/sessions/:id/review" element={<RequireAuth><AnalyticsReview /></RequireAuth>} />
        <Route path="admin" element={<RequireAuth><OperatorConsole /></RequireAuth>} />
        <Route path="training" element={<RequireAuth><TrainingHome /></RequireAuth>} />
        <Route path="training/:enrollmentId" element={<RequireAuth><TrainingEnrollment /></RequireAuth>} />
        <Route path="training/:enrollmentId/lessons/:lessonId" element={<RequireAuth><TrainingLesson /></RequireAuth>} />
        <Route path="training/exams/:examId" element={<RequireAuth><TrainingExam /></RequireAuth>} />
        <Route path="training/practices/:practiceId" element={<RequireAuth><TrainingPractice /></RequireAuth>} />
        <Route path="orgs/:orgId/training" element={<RequireAuth><TrainingCentre /></RequireAuth>} />
        <Route path="certificates/:number" element={<CertificatePage />} />
        <Route path="commission" element={<RequireAuth><CommissionPortal /></RequireAuth>} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
