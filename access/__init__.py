"""Need-to-know access: family teams and the policy that decides who sees what."""
