export interface NavItem {
  href: string;
  label: string;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { href: '/', label: 'Dashboard' },
  { href: '/keys', label: 'Keys' },
  { href: '/requests', label: 'Requests' },
  { href: '/access', label: 'Access' },
  { href: '/analytics', label: 'Analytics' },
  { href: '/alerts', label: 'Alerts' },
  { href: '/audit', label: 'Audit' },
  { href: '/reports', label: 'Reports' },
  { href: '/webhooks', label: 'Webhooks' },
  { href: '/tools', label: 'Tools' },
];

/** "/" matches only itself; every other section also owns its sub-pages. */
export function isActive(href: string, pathname: string): boolean {
  if (href === '/') return pathname === '/';
  return pathname === href || pathname.startsWith(`${href}/`);
}
