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
const CampaignPage = lazyPage(() => import('./campaigns/CampaignPage').then((m) => m.CampaignPage));
const CampaignAdmin = lazyPage(() => import('./campaigns/CampaignAdmin').then((m) => m.CampaignAdmin));
const TrainingHome = lazyPage(() => import('./training/TrainingHome').then((m) => m.TrainingHome));
const TrainingEnrollment = lazyPage(() => import('./training/EnrollmentPage').then((m) => m.EnrollmentPage));
const TrainingLesson = lazyPage(() => import('./training/LessonPage').then((m) => m.LessonPage));
const TrainingExam = lazyPage(() => import('./training/ExamPage').then((m) => m.ExamPage));
const TrainingPractice = lazyPage(() => import('./training/PracticePage').then((m) => m.PracticePage));
const TrainingCentre = lazyPage(() => import('./training/CentreConsole').then((m) => m.CentreConsole));
const CertificatePage = lazyPage(() => import('./training/CertificatePage').then((m) => m.CertificatePage));
const MyVouchersPage = lazyPage(() => import('./vouchers/MyVouchersPage').then((m) => m.MyVouchersPage));
const StaffRedeemPage = lazyPage(() => import('./vouchers/StaffRedeemPage').then((m) => m.StaffRedeemPage));
const FirstStoresPage = lazyPage(() => import('./vouchers/FirstStoresPage').then((m) => m.FirstStoresPage));
const VouchersConsole = lazyPage(() => import('./vouchers/VouchersConsole').then((m) => m.VouchersConsole));
const CrossBorderIdentity = lazyPage(() => import('./crossborder/IdentityPage').then((m) => m.IdentityPage));
const CrossBorderConsole = lazyPage(() => import('./crossborder/ConsolePage').then((m) => m.CrossBorderConsole));
const CommissionPortal = lazyPage(() => import('./commission/CommissionPortal').then((m) => m.CommissionPortal));
const NotificationsPage = lazyPage(() => import('./notifications/NotificationsPage').then((m) => m.NotificationsPage));
const LaunchesPage = lazyPage(() => import('./launches/LaunchesPage').then((m) => m.LaunchesPage));
const LaunchPage = lazyPage(() => import('./launches/LaunchPage').then((m) => m.LaunchPage));
const PresalePage = lazyPage(() => import('./presale/PresalePage').then((m) => m.PresalePage));
const PresaleOrderPage = lazyPage(() => import('./presale/PresaleOrderPage').then((m) => m.PresaleOrderPage));
const PresaleOrdersPage = lazyPage(() => import('./presale/PresaleOrdersPage').then((m) => m.PresaleOrdersPage));
const BrandPresales = lazyPage(() => import('./presale/BrandPresales').then((m) => m.BrandPresales));
const BrandLaunches = lazyPage(() => import('./launches/BrandLaunches').then((m) => m.BrandLaunches));
const BrandAuctions = lazyPage(() => import('./auctions/BrandAuctions').then((m) => m.BrandAuctions));
const WholesalePage = lazyPage(() => import('./b2b/WholesalePage').then((m) => m.WholesalePage));
const MyRfqsPage = lazyPage(() => import('./b2b/MyRfqsPage').then((m) => m.MyRfqsPage));
const B2bConsole = lazyPage(() => import('./b2b/B2bConsole').then((m) => m.B2bConsole));
const OriginTracePage = lazyPage(() => import('./origin/TracePage').then((m) => m.TracePage));
const OriginReportPage = lazyPage(() => import('./origin/ReportPage').then((m) => m.OriginReportPage));
const ExhibitionPage = lazyPage(() => import('./exhibitions/ExhibitionPage').then((m) => m.ExhibitionPage));
const ExhibitorConsole = lazyPage(() => import('./exhibitions/ExhibitorConsole').then((m) => m.ExhibitorConsole));
// A live-streaming base's public page and the list of bases, for anyone (docs/BASES.md, "The public page").
const PublicBasesPage = lazyPage(() => import('./bases/PublicBasesPage').then((m) => m.PublicBasesPage));
const PublicBasePage = lazyPage(() => import('./bases/PublicBasePage').then((m) => m.PublicBasePage));
const PublicBaseBook = lazyPage(() => import('./bases/PublicBasePage').then((m) => m.PublicBaseBook));

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
        <Route path="campaigns/:id" element={<CampaignPage />} />
        <Route path="admin/campaigns" element={<RequireAuth><CampaignAdmin /></RequireAuth>} />
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
        <Route path="me/vouchers" element={<RequireAuth><MyVouchersPage /></RequireAuth>} />
        <Route path="staff/redeem" element={<RequireAuth><StaffRedeemPage /></RequireAuth>} />
        <Route path="first-stores" element={<FirstStoresPage />} />
        <Route path="orgs/:orgId/vouchers" element={<RequireAuth><VouchersConsole /></RequireAuth>} />
        <Route path="crossborder/identity" element={<RequireAuth><CrossBorderIdentity /></RequireAuth>} />
        <Route path="orgs/:orgId/crossborder" element={<RequireAuth><CrossBorderConsole /></RequireAuth>} />
        <Route path="certificates/:number" element={<CertificatePage />} />
        <Route path="commission" element={<RequireAuth><CommissionPortal /></RequireAuth>} />
        <Route path="notifications" element={<RequireAuth><NotificationsPage /></RequireAuth>} />
        <Route path="launches" element={<LaunchesPage />} />
        <Route path="launches/:id" element={<LaunchPage />} />
        <Route path="presales/:id" element={<PresalePage />} />
        <Route path="presale-orders/:id" element={<RequireAuth><PresaleOrderPage /></RequireAuth>} />
        <Route path="me/presales" element={<RequireAuth><PresaleOrdersPage /></RequireAuth>} />
        <Route path="orgs/:orgId/presales" element={<RequireAuth><BrandPresales /></RequireAuth>} />
        <Route path="orgs/:orgId/launches" element={<RequireAuth><BrandLaunches /></RequireAuth>} />
        <Route path="orgs/:orgId/auctions" element={<RequireAuth><BrandAuctions /></RequireAuth>} />
        <Route path="b2b/products/:productId" element={<WholesalePage />} />
        <Route path="b2b/rfqs" element={<RequireAuth><MyRfqsPage /></RequireAuth>} />
        <Route path="orgs/:orgId/b2b" element={<RequireAuth><B2bConsole /></RequireAuth>} />
        <Route path="origin/:productId" element={<OriginTracePage />} />
        <Route path="orgs/:orgId/origin" element={<RequireAuth><OriginReportPage /></RequireAuth>} />
        <Route path="exhibitions/:exhibitionId" element={<ExhibitionPage />} />
        <Route path="orgs/:orgId/exhibitions" element={<RequireAuth><ExhibitorConsole /></RequireAuth>} />
        <Route path="bases" element={<PublicBasesPage />} />
        <Route path="bases/:baseId" element={<PublicBasePage />} />
        <Route path="bases/:baseId/book" element={<RequireAuth><PublicBaseBook /></RequireAuth>} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
