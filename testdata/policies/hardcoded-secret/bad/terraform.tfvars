slack_webhook = "https://hooks.slack.com/services/T0123ABCD/B0123ABCD/abcdefghijklmnopqrstuvwx"
github_token  = "ghp_0123456789abcdefghijklmnopqrstuvwxyzAB"
