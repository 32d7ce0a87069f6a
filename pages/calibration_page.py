"""Actuals & calibration: record finished work, fit a reference class, choose the scenario's."""

from mlpm_ui import calibration

calibration.intro()
calibration.record_section()
calibration.import_section()
recorded = calibration.table_section()
calibration.fit_section(recorded)
calibration.choose_section()
