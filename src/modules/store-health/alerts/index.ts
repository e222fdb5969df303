export {
  acknowledgeAlert,
  getAlert,
  getTask,
  listAlerts,
  listTasks,
  resolveAlert,
  updateTask,
  type AlertView,
  type TaskStatus,
  type TaskView,
} from './service.js';
export { isOpenAlertStatus, openAlertStatuses, storeDedupeKey } from './alert-sync.js';
export { districtDedupeKey } from './district-fold.js';
export { registerAlertRoutes } from './routes.js';
