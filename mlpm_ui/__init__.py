"""The Streamlit UI layer: components shared by the pages. Estimation logic lives in mlpm_core."""
