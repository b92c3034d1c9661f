/** The 桥 logo: a blue rounded square with the character. */
export function BrandMark({ size = 32 }: { size?: number }) {
  return (
    <span
      aria-hidden
      style={{
        display: 'inline-flex',
        alignItems: 'center',
        justifyContent: 'center',
        flex: 'none',
        width: size,
        height: size,
        borderRadius: size / 4,
        background: 'linear-gradient(135deg, #1677ff 0%, #0958d9 100%)',
        color: '#fff',
        fontSize: size * 0.56,
        fontWeight: 600,
        lineHeight: 1,
      }}
    >
      桥
    </span>
  );
}
