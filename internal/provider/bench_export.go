// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider

// The models of the two blocks make bench compares with its framework
// floor (cmd/hostup-bench/internal/floor), which reads and writes the same
// attributes the framework's way and does nothing else. Aliases, so the
// floor never drifts from the real blocks.
type (
	// PresignedURLModel is hostup_presigned_url's model.
	PresignedURLModel = presignedURLModel
	// ObjectModel is hostup_object's model.
	ObjectModel = objectResourceModel
)
