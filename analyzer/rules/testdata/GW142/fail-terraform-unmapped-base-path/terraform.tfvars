domain_name = "users.example.com"
