import { Panel } from '@/components/ui/page-header';
import { UnavailableState } from '@/components/ui/states';

/** Usage per key needs the analytics API (`usage(keyId, from, to, granularity)`). */
export async function KeyUsagePanel({ keyId }: { keyId: string }) {
  void keyId;
  return (
    <Panel title="Usage" id="usage">
      <UnavailableState what="The usage API" />
    </Panel>
  );
}
