"""Logging in (docs/roles.md "Logging in"): throttled passwords (django-axes), two-factor login with
recovery codes (django-otp), idle timeout, unlocking and resetting a township's accounts, demo mode."""
