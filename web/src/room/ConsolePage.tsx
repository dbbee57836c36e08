// The live console became the cockpit (web/src/cockpit, docs/COCKPIT.md); the route still loads it from here.
export { CockpitPage as ConsolePage } from '../cockpit/CockpitPage';
