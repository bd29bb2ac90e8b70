'use client';

import { Area, AreaChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

/** One bucket, flattened on the server so only plain numbers cross to the browser. */
export interface UsageChartPoint {
  t: number;
  valid: number;
  denied: number;
  errorRate: number;
  serverErrorRate: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  bytesIn: number;
  bytesOut: number;
}

const axis = { stroke: 'var(--muted)', fontSize: 11 };
const COLORS = { valid: '#2f9e6b', denied: '#d64545', p50: '#3451b2', p95: '#d98e04', p99: '#d64545', in: '#3451b2', out: '#8e4ec6' };

function timeFormatter(granularity: string) {
  const f = new Intl.DateTimeFormat('en-GB', granularity === 'DAY' ? { day: 'numeric', month: 'short', timeZone: 'UTC' } : { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' });
  return (v: number) => f.format(v);
}

function Chart({ title, children }: { title: string; children: React.ReactElement }) {
  return (
    <figure style={{ margin: 0 }}>
      <h3>{title}</h3>
      <div className="chart chart-small" role="img" aria-label={title}>
        <ResponsiveContainer width="100%" height="100%">
          {children}
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

/** Volume, latency percentiles, error rates and bandwidth of one series of buckets. */
export function UsageCharts({ points, granularity }: { points: UsageChartPoint[]; granularity: string }) {
  const fmt = timeFormatter(granularity);
  const x = <XAxis dataKey="t" tickFormatter={fmt} {...axis} minTickGap={30} />;
  const grid = <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />;
  const tooltip = <Tooltip labelFormatter={(v) => `${fmt(Number(v))} UTC`} />;
  return (
    <div className="chart-grid">
      <Chart title="Requests">
        <AreaChart data={points}>
          {grid}
          {x}
          <YAxis {...axis} width={44} allowDecimals={false} />
          {tooltip}
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Area type="monotone" dataKey="valid" name="Valid" stackId="1" stroke={COLORS.valid} fill={COLORS.valid} fillOpacity={0.35} isAnimationActive={false} />
          <Area type="monotone" dataKey="denied" name="Denied" stackId="1" stroke={COLORS.denied} fill={COLORS.denied} fillOpacity={0.4} isAnimationActive={false} />
        </AreaChart>
      </Chart>
      <Chart title="Latency percentiles (ms)">
        <LineChart data={points}>
          {grid}
          {x}
          <YAxis {...axis} width={44} />
          {tooltip}
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Line type="monotone" dataKey="p50" name="p50" stroke={COLORS.p50} dot={false} connectNulls isAnimationActive={false} />
          <Line type="monotone" dataKey="p95" name="p95" stroke={COLORS.p95} dot={false} connectNulls isAnimationActive={false} />
          <Line type="monotone" dataKey="p99" name="p99" stroke={COLORS.p99} dot={false} connectNulls isAnimationActive={false} />
        </LineChart>
      </Chart>
      <Chart title="Error rates">
        <LineChart data={points}>
          {grid}
          {x}
          <YAxis {...axis} width={44} tickFormatter={(v: number) => `${Math.round(v * 100)}%`} />
          <Tooltip labelFormatter={(v) => `${fmt(Number(v))} UTC`} formatter={(v) => `${(Number(v) * 100).toFixed(1)} %`} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Line type="monotone" dataKey="errorRate" name="Denied / verified" stroke={COLORS.denied} dot={false} isAnimationActive={false} />
          <Line type="monotone" dataKey="serverErrorRate" name="5xx / reported" stroke={COLORS.p95} dot={false} isAnimationActive={false} />
        </LineChart>
      </Chart>
      <Chart title="Bandwidth (bytes)">
        <AreaChart data={points}>
          {grid}
          {x}
          <YAxis {...axis} width={52} tickFormatter={(v: number) => (v >= 1e6 ? `${(v / 1e6).toFixed(1)}M` : v >= 1e3 ? `${(v / 1e3).toFixed(0)}k` : String(v))} />
          {tooltip}
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Area type="monotone" dataKey="bytesIn" name="In" stroke={COLORS.in} fill={COLORS.in} fillOpacity={0.3} isAnimationActive={false} />
          <Area type="monotone" dataKey="bytesOut" name="Out" stroke={COLORS.out} fill={COLORS.out} fillOpacity={0.3} isAnimationActive={false} />
        </AreaChart>
      </Chart>
    </div>
  );
}
