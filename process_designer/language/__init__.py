"""Reading English: one spaCy pipeline and lemminflect's word forms, shared by every agent."""
