"""The roles a user can have, with their Dutch names."""

FACILITATOR = "facilitator"
PROFESSIONAL = "professional"
PROJECT_LEAD = "project_lead"
ADMIN = "admin"

ROLES = {
    FACILITATOR: "facilitator",
    PROFESSIONAL: "professional",
    PROJECT_LEAD: "projectleider",
    ADMIN: "beheerder",
}
