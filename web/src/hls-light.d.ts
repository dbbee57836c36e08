// hls.js ships no typings for its "light" build (same API without subtitles,
// alternate audio, DRM, CMCD, content steering and interstitials).
declare module 'hls.js/light' {
  import Hls from 'hls.js';
  export default Hls;
}
