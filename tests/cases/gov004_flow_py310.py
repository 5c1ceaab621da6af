"""GOV004 through a match statement (Python 3.10+; the suite skips this file on 3.9)."""


def statements_that_may_assign(name, command):
    c = "SUCCESS"  # expect: GOV004:9
    match command:
        case "go":
            c = "FAILED"
        case _:
            pass
    update_execution_metrics(name, c)
