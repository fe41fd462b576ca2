// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// With Options.Dir, the emulator keeps what the API made there, beside the
// objects: S3 key pairs, bucket creation times and bucket settings (CORS,
// lifecycle, policy). A restarted emulator on
// the same directory has the same account.

const stateFile = ".hostup-emulator.json"

type savedState struct {
	Keys    map[string]savedKey  `json:"keys"`
	Created map[string]time.Time `json:"created"`
	// Settings is absent from files written before buckets had settings.
	Settings map[string]bucketSettings `json:"settings,omitempty"`
}

type savedKey struct {
	Secret string `json:"secret"`
	Label  string `json:"label"`
}

func (e *Emulator) statePath() string {
	if e.opts.Dir == "" {
		return ""
	}
	return filepath.Join(e.opts.Dir, stateFile)
}

// loadState reads a saved state; a missing file is an empty account.
func (e *Emulator) loadState() error {
	path := e.statePath()
	if path == "" {
		return nil
	}
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("emulator: reading %s: %w", path, err)
	}
	var st savedState
	if err := json.Unmarshal(raw, &st); err != nil {
		return fmt.Errorf("emulator: %s is not an emulator state file: %w", path, err)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for k, v := range st.Keys {
		e.keys[k] = keyPair{secret: v.Secret, label: v.Label}
	}
	for k, v := range st.Created {
		e.created[k] = v
	}
	for k, v := range st.Settings {
		e.bucketSettings[k] = v
	}
	return nil
}

// saveState writes the state when the emulator has a directory, through a
// temporary file, so a crash never leaves half a file.
func (e *Emulator) saveState() error {
	path := e.statePath()
	if path == "" {
		return nil
	}
	// One save at a time: concurrent ones would share the temporary file.
	e.saveMu.Lock()
	defer e.saveMu.Unlock()
	e.mu.Lock()
	st := savedState{Keys: map[string]savedKey{}, Created: map[string]time.Time{}}
	for k, v := range e.keys {
		st.Keys[k] = savedKey{Secret: v.secret, Label: v.label}
	}
	for k, v := range e.created {
		st.Created[k] = v
	}
	if len(e.bucketSettings) > 0 {
		st.Settings = make(map[string]bucketSettings, len(e.bucketSettings))
		for k, v := range e.bucketSettings {
			st.Settings[k] = v
		}
	}
	e.mu.Unlock()
	raw, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, raw, 0o600); err != nil {
		return fmt.Errorf("emulator: writing %s: %w", path, err)
	}
	return os.Rename(tmp, path)
}
