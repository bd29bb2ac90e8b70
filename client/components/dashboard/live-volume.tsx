'use client';

import { useState } from 'react';
import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { graphql } from '@/gql';
import { useSubscription } from '@/components/live/use-subscription';
import { LiveBadge } from '@/components/live/live-badge';
import { formatNumber } from '@/components/ui/format';

const Ticks = graphql(`
  subscription UsageTicks { usageTick { from intervalMs requests valid denied rateLimited at } }
`);

interface Point {
  t: number;
  intervalMs: number;
  valid: number;
  denied: number;
  rateLimited: number;
}

const KEEP = 60;
const clock = new Intl.DateTimeFormat('en-GB', { timeStyle: 'medium', timeZone: 'UTC' });

/** The organization's traffic as the API pushes it (a tick every few seconds while there is traffic). */
export function LiveVolume() {
  const [points, setPoints] = useState<Point[]>([]);
  const sub = useSubscription(Ticks, {}, (d) => {
    const t = d.usageTick;
    setPoints((p) => [...p, { t: t.from, intervalMs: t.intervalMs, valid: t.valid, denied: t.denied - t.rateLimited, rateLimited: t.rateLimited }].slice(-KEEP));
  });
  const last = points.at(-1);
  const perSecond = last ? ((last.valid + last.denied + last.rateLimited) * 1000) / (last.intervalMs || 1000) : 0;

  return (
    <div>
      <div className="panel-header">
        <span className="muted">{last ? `${formatNumber(Math.round(perSecond))} req/s in the last tick` : 'Waiting for traffic…'}</span>
        <LiveBadge error={sub.error} />
      </div>
      <div className="chart" role="img" aria-label={`Live request volume, ${points.length} recent intervals`}>
        <ResponsiveContainer width="100%" height="100%">
          <AreaChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
            <XAxis dataKey="t" tickFormatter={(v: number) => clock.format(v)} stroke="var(--muted)" fontSize={11} minTickGap={40} />
            <YAxis allowDecimals={false} stroke="var(--muted)" fontSize={11} width={40} />
            <Tooltip labelFormatter={(v) => `${clock.format(Number(v))} UTC`} />
            <Area type="monotone" dataKey="valid" name="Valid" stackId="1" stroke="#2f9e6b" fill="#2f9e6b" fillOpacity={0.35} isAnimationActive={false} />
            <Area type="monotone" dataKey="rateLimited" name="Rate limited" stackId="1" stroke="#d98e04" fill="#d98e04" fillOpacity={0.45} isAnimationActive={false} />
            <Area type="monotone" dataKey="denied" name="Other denials" stackId="1" stroke="#d64545" fill="#d64545" fillOpacity={0.45} isAnimationActive={false} />
          </AreaChart>
        </ResponsiveContainer>
      </div>
    </div>
  );
}
