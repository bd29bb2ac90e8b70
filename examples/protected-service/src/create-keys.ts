import { Latchkey } from '@latchkey/sdk';

/**
 * First set-up: sign in as the admin `npm start` printed, create an application, a
 * service key that may verify keys, and a user key that may read users and deploy app_1.
 */
export async function createKeys(baseUrl: string, email: string, password: string) {
  const admin = await Latchkey.login({ baseUrl, email, password });
  try {
    const app = await admin.applications.create({ name: `demo-${Date.now().toString(36)}` });
    const service = await admin.keys.create({
      name: 'protected-service',
      type: 'application',
      subtype: 'service',
      applicationId: app.id,
      permissionLevel: 'custom',
      scopes: ['keys:verify'],
    });
    const user = await admin.keys.create({
      name: 'demo user',
      type: 'application',
      subtype: 'service',
      applicationId: app.id,
      permissionLevel: 'custom',
      scopes: ['users:read', 'applications:deploy:app_1'],
      rateLimit: { perMinute: 60 },
    });
    return { serviceKey: service.secret, userKey: user.secret, userKeyId: user.apiKey.id };
  } finally {
    await admin.close();
  }
}

if (require.main === module) {
  const { LATCHKEY_URL = 'http://127.0.0.1:4000', LATCHKEY_ADMIN_EMAIL = '', LATCHKEY_ADMIN_PASSWORD = '' } = process.env;
  createKeys(LATCHKEY_URL, LATCHKEY_ADMIN_EMAIL, LATCHKEY_ADMIN_PASSWORD).then(
    (k) => console.log(`export LATCHKEY_SERVICE_KEY=${k.serviceKey}\nexport USER_KEY=${k.userKey}`),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
