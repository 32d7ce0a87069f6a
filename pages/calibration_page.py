"""Actuals & calibration: record finished work, fit a reference class, choose the scenario's."""

from mlpm_ui import actuals, calibration

calibration.intro()
actuals.record_section()
actuals.import_section()
recorded = actuals.table_section()
calibration.fit_section(recorded)
calibration.choose_section()
