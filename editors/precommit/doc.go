// Package precommit tests the pre-commit hook defined in
// .pre-commit-hooks.yaml at the repository root with the real pre-commit.
package precommit
