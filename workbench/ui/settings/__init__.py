"""The Settings dialog: Hub address and token, models folder, providers and prices."""
