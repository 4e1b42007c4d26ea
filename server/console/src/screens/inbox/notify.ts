/**
 * The agent's alert for a new request: a short chime (Web Audio, no sound file to load) and/or a desktop
 * notification. Preferences are kept in localStorage: they are not secrets and should outlive the tab.
 */
export interface AlertPreferences {
  sound: boolean;
  desktop: boolean;
}

const KEY = 'mascot-console:inbox-alerts';

export function loadAlertPreferences(): AlertPreferences {
  try {
    const saved = JSON.parse(window.localStorage.getItem(KEY) ?? '{}') as Partial<AlertPreferences>;
    return { sound: saved.sound === true, desktop: saved.desktop === true && 'Notification' in window && Notification.permission === 'granted' };
  } catch {
    return { sound: false, desktop: false };
  }
}

export function saveAlertPreferences(preferences: AlertPreferences): void {
  window.localStorage.setItem(KEY, JSON.stringify(preferences));
}

/** Asks the browser once; false when the person (or the browser) says no. */
export async function allowDesktopNotifications(): Promise<boolean> {
  if (!('Notification' in window)) return false;
  if (Notification.permission === 'granted') return true;
  return (await Notification.requestPermission()) === 'granted';
}

let audio: AudioContext | undefined;

function chime(): void {
  audio ??= new AudioContext();
  const now = audio.currentTime;
  for (const [offset, frequency] of [[0, 880], [0.16, 1174.66]] as const) {
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, now + offset);
    gain.gain.exponentialRampToValueAtTime(0.2, now + offset + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, now + offset + 0.3);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start(now + offset);
    oscillator.stop(now + offset + 0.32);
  }
}

export function alertNewRequest(preferences: AlertPreferences, title: string, body: string): void {
  if (preferences.sound) chime();
  if (preferences.desktop && 'Notification' in window && Notification.permission === 'granted' && document.visibilityState !== 'visible') {
    new Notification(title, { body, tag: 'mascot-inbox' });
  }
}
