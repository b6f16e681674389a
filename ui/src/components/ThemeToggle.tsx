import { useTheme, type ThemeChoice } from "../lib/theme";

const CHOICES: { value: ThemeChoice; label: string; icon: string }[] = [
  { value: "system", label: "System theme", icon: "◐" },
  { value: "light", label: "Light theme", icon: "☀" },
  { value: "dark", label: "Dark theme", icon: "☾" },
];

export function ThemeToggle(): JSX.Element {
  const [choice, setChoice] = useTheme();
  return (
    <div className="segmented" role="radiogroup" aria-label="Theme" data-testid="theme-toggle">
      {CHOICES.map((c) => (
        <button
          key={c.value}
          type="button"
          role="radio"
          aria-checked={choice === c.value}
          className={choice === c.value ? "active" : ""}
          title={c.label}
          data-testid={`theme-${c.value}`}
          onClick={() => setChoice(c.value)}
        >
          {c.icon}
        </button>
      ))}
    </div>
  );
}
