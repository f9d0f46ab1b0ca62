"""PPTX backend: laid-out deck in, .pptx out. The only user of python-pptx (raw XML in `oxml`)."""
