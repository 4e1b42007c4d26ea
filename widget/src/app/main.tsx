import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { parseOrigin } from '../frame-protocol.ts';
import { ChatApp } from './ChatApp.tsx';
import './chat.css';

// The loader opens us at /widget/?bot=<embed id>&host=<host page origin>.
const params = new URLSearchParams(window.location.search);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ChatApp embedId={params.get('bot')} hostOrigin={parseOrigin(params.get('host'))} />
  </StrictMode>,
);
