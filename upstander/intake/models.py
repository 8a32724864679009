"""The reporter side keeps no models of its own: the report, its files and messages, and the reporter side's
working state (drafts, file reservations, the receipt-attempt budget) are the reports core's
(upstander/reports/models.py), so that the staff side never needs to import the reporter side."""
