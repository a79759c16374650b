/**
 * resu-sidebar: runtime half of the editor plugin. The editor half (resu-sidebar.html) adds the
 * "ReSU" sidebar tab; here we only make sure the admin routes it polls exist even before any
 * stateful ReSU node is deployed. The plotting library (Vega + Vega-Lite browser builds) is served
 * from the package's resources/ folder (/resources/<module>/vendor/…), so an offline editor works.
 */
import type { NodeAPI } from 'node-red';
import { registerAdminRoutes } from './shared/admin';

export = function (RED: NodeAPI) {
  (RED as unknown as { plugins: { registerPlugin(id: string, definition: Record<string, unknown>): void } })
    .plugins.registerPlugin('resu-sidebar', { type: 'resu-sidebar' });
  registerAdminRoutes(RED);
};
