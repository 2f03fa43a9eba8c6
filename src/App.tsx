import React from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import type { AppRootProps } from '@grafana/data';

import { About } from './pages/About';
import { Models } from './pages/Models';

export default function App(_props: AppRootProps) {
  return (
    <Routes>
      <Route path="models" element={<Models />} />
      <Route path="about" element={<About />} />
      <Route path="*" element={<Navigate to="models" replace />} />
    </Routes>
  );
}
