import { ApiStatus } from '@/components/api-status';

export default function DashboardPage() {
  return (
    <>
      <header className="page-header">
        <h1>Dashboard</h1>
        <p className="muted">Keys, traffic and alerts at a glance.</p>
      </header>
      <div className="grid">
        <ApiStatus />
      </div>
    </>
  );
}
