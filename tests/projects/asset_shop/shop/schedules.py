from dagster import ScheduleDefinition, build_schedule_from_partitioned_job

from shop.jobs import customers_job, daily_orders_job

daily_orders_schedule = build_schedule_from_partitioned_job(daily_orders_job, hour_of_day=2)
customers_schedule = ScheduleDefinition(job=customers_job, cron_schedule="0 6 * * 1")
