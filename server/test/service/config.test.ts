// The service area's configuration: template ids and the reminder lead time.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('service configuration', () => {
  it('has readable template ids and a 24 h reminder lead by default', () => {
    const config = loadConfig({});
    expect(config.wechat.templates).toEqual({
      serviceStatus: 'qiao-service-status',
      serviceOverdue: 'qiao-service-overdue',
      warranty: 'qiao-warranty-expiring',
      mpDispatch: 'qiao-mp-work-order',
    });
    expect(config.service.dueReminderHours).toBe(24);
  });

  it('takes them from the environment and refuses a bad lead time', () => {
    const config = loadConfig({
      WECHAT_TEMPLATE_SERVICE_STATUS: 'tplStatus1',
      WECHAT_TEMPLATE_SERVICE_OVERDUE: 'tplOverdue1',
      WECHAT_TEMPLATE_WARRANTY: 'tplWarranty1',
      WECHAT_MP_TEMPLATE_DISPATCH: 'tplMp1',
      QIAO_DUE_REMINDER_HOURS: '6',
    });
    expect(config.wechat.templates).toEqual({ serviceStatus: 'tplStatus1', serviceOverdue: 'tplOverdue1', warranty: 'tplWarranty1', mpDispatch: 'tplMp1' });
    expect(config.service.dueReminderHours).toBe(6);
    expect(() => loadConfig({ QIAO_DUE_REMINDER_HOURS: '0' })).toThrow(ConfigError);
    expect(() => loadConfig({ QIAO_DUE_REMINDER_HOURS: 'soon' })).toThrow(/QIAO_DUE_REMINDER_HOURS/);
  });
});
