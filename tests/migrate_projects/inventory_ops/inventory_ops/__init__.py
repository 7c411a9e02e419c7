"""Op jobs with a resource reached through context.resources, a schedule and a sensor."""
