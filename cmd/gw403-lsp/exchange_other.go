//go:build !linux

package main

// exchange is not available: the caller replaces the file by a rename.
func exchange(a, b string) error { return errNoExchange }
