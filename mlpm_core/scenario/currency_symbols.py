"""What people type for a currency besides its ISO code, and the code it stands for."""

SYMBOLS = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR",
           "A$": "AUD", "C$": "CAD", "NZ$": "NZD", "HK$": "HKD", "S$": "SGD", "R$": "BRL",
           "ZŁ": "PLN", "₩": "KRW", "₺": "TRY", "₪": "ILS"}
"""Keyed in capitals ('zł' is looked up as 'ZŁ')."""
