import { redirect } from 'next/navigation';

export default function ToolsPage() {
  redirect('/tools/permissions');
}
