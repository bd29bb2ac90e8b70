export function BrandMark() {
  return (
    <svg className="brand-mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="7" fill="currentColor" />
      <circle cx="12" cy="16" r="5" fill="none" stroke="#fff" strokeWidth="3" />
      <path d="M17 16h10m-4 0v4m4-4v3" stroke="#fff" strokeWidth="3" strokeLinecap="round" />
    </svg>
  );
}
