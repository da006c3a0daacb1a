import styles from './StatusPill.module.css';

export interface StatusPillProps {
  label: string;
  onDismiss: () => void;
}

export function StatusPill({ label, onDismiss }: StatusPillProps) {
  return (
    <div className={styles.pill} style={{ color: '#ff0000' }} onClick={onDismiss}>
      <img src="/icon.svg" />
      {label}
    </div>
  );
}
