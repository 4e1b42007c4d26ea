// The 2D avatar: a face drawn in the bot's primary colour, for devices without WebGL, weak
// devices, and while the 3D chunk loads. It shows the same expressions as the 3D avatar's face
// (from the same slot → expression mapping) and a talking mouth; blinking and the talking mouth
// are CSS animations that `prefers-reduced-motion` switches off (see avatar-stage.css).
import type { FaceExpression } from '@mascot/avatar-runtime/logic';

interface AvatarPortraitProps {
  expression: FaceExpression;
  talking: boolean;
  color: string;
}

// Mouths in a 100×100 face, centred at (50, 66).
const MOUTHS: Readonly<Record<FaceExpression, string>> = {
  neutral: 'M40 65 Q50 71 60 65',
  happy: 'M36 62 Q50 78 64 62 Q50 70 36 62 Z',
  sad: 'M40 70 Q50 62 60 70',
  surprised: '',
  thinking: 'M42 67 L57 65',
};

// Brows: [left, right] paths, tilted per expression.
const BROWS: Readonly<Record<FaceExpression, readonly [string, string]>> = {
  neutral: ['M30 34 Q36 31 42 33', 'M58 33 Q64 31 70 34'],
  happy: ['M30 33 Q36 29 42 32', 'M58 32 Q64 29 70 33'],
  sad: ['M30 33 Q36 33 42 30', 'M58 30 Q64 33 70 33'],
  surprised: ['M30 29 Q36 25 42 28', 'M58 28 Q64 25 70 29'],
  thinking: ['M30 34 Q36 33 42 34', 'M58 30 Q64 27 70 31'],
};

export function AvatarPortrait({ expression, talking, color }: AvatarPortraitProps) {
  const [leftBrow, rightBrow] = BROWS[expression];
  return (
    <svg
      className="avatar-portrait"
      viewBox="0 0 100 100"
      data-expression={expression}
      data-talking={talking ? 'true' : 'false'}
      aria-hidden="true"
      focusable="false"
    >
      {/* A light rim keeps the head visible on a header in the same brand colour. */}
      <circle cx="50" cy="54" r="40" fill={color} stroke="#ffffff" strokeWidth="3" />
      <ellipse cx="50" cy="58" rx="30" ry="27" fill="#ffffff" opacity="0.9" />
      <g className="avatar-portrait__eyes">
        <ellipse cx="38" cy="48" rx="4.5" ry={expression === 'surprised' ? 6.5 : 5.5} fill="#1f2430" />
        <ellipse cx="62" cy="48" rx="4.5" ry={expression === 'surprised' ? 6.5 : 5.5} fill="#1f2430" />
        <circle cx="39.5" cy="46" r="1.5" fill="#ffffff" />
        <circle cx="63.5" cy="46" r="1.5" fill="#ffffff" />
      </g>
      <g stroke="#1f2430" strokeWidth="2.2" strokeLinecap="round" fill="none">
        <path d={leftBrow} />
        <path d={rightBrow} />
      </g>
      {talking ? (
        <ellipse className="avatar-portrait__talking-mouth" cx="50" cy="67" rx="7" ry="5" fill="#1f2430" />
      ) : expression === 'surprised' ? (
        <ellipse cx="50" cy="67" rx="5" ry="6" fill="#1f2430" />
      ) : (
        <path
          d={MOUTHS[expression]}
          stroke="#1f2430"
          strokeWidth="2.4"
          strokeLinecap="round"
          fill={expression === 'happy' ? '#1f2430' : 'none'}
        />
      )}
      {expression === 'thinking' && <circle cx="80" cy="22" r="4" fill={color} opacity="0.7" />}
    </svg>
  );
}
